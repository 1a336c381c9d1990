; tables: the IDT and the kernel stack at linear addresses whose frames differ (and move),
; deliveries that fault (read-only kernel stack under WP, a frame straddling an absent
; page), sidt/sgdt into read-only pages, WP toggled with mappings already used, and
; paging turned off from a page that was not identity-mapped; it ends in a triple fault.
        .entry  start
        .equ    CONSOLE, 0x3f8
        .equ    EXIT, 0xf4
        .equ    PD, 0x100000
        .equ    PT, 0x101000
        .equ    IDTV, 0x340000           ; the IDT's linear address
        .equ    IDTF, 0x120000           ; its frame
        .equ    IDTF2, 0x121000          ; another frame with another IDT
        .equ    KSTACK, 0x70000
        .equ    USTACK, 0x60000
        .equ    RO, 0x150000             ; a read-only page
start:  mov     sp, KSTACK
        mov     r0, KSTACK
        wrmsr   0, r0
        mov     r6, 3
        ; two IDTs in two frames: every gate to `generic`, DPL 3; IDT 2's #BP goes to bp2
        mov     r0, 0
gates:  mov     r1, r0
        shl     r1, 3
        mov     r2, generic
        st      [r1 + IDTF], r2
        st      [r1 + IDTF2], r2
        mov     r2, 7
        st      [r1 + IDTF + 4], r2
        st      [r1 + IDTF2 + 4], r2
        add     r0, 1
        cmp     r0, 256
        jb      gates
        mov     r0, bp2
        st      [IDTF2 + 3*8], r0
        mov     r0, df
        st      [IDTF + 8*8], r0
        st      [IDTF2 + 8*8], r0
        mov     r0, 0
ident:  mov     r2, r0
        or      r2, 7
        mov     r1, r0
        shr     r1, 10
        st      [r1 + PT], r2
        add     r0, 4096
        cmp     r0, 0x400000
        jb      ident
        mov     r0, RO | 5               ; read-only, user
        st      [PT + (RO >> 10)], r0
        mov     r0, IDTF | 7
        st      [PT + (IDTV >> 10)], r0
        mov     r0, 0                    ; the page above IDTV+4096 absent
        st      [PT + ((IDTV + 0x1000) >> 10)], r0
        mov     r0, PT | 7
        st      [PD], r0
        mov     r0, PD
        mov     cr3, r0
        mov     r0, 0x80000001
        mov     cr0, r0
        mov     r0, idtr
        lidt    [r0]

        ; 1. int 3 through the IDT at IDTV (frame IDTF): generic
        mov     r0, after1
        st      [resume], r0
        int     3
after1: call    mixlog
        ; remap IDTV to the second frame without lidt: #BP now goes to bp2
        mov     r0, IDTF2 | 7
        st      [PT + (IDTV >> 10)], r0
        mov     r0, after2
        st      [resume], r0
        int     3
after2: call    mixlog
        ; and from user mode (the stack switch, the IDT read through the guest's tables)
        mov     r0, after3
        st      [resume], r0
        mov     r0, user_bp
        push    USTACK
        push    0
        push    3
        push    r0
        iret
after3: mov     sp, KSTACK
        call    mixlog

        ; 2. sidt/sgdt into a read-only page: allowed without WP, #PF with WP
        mov     r0, after4
        st      [resume], r0
        mov     r1, RO + 8
        sidt    [r1]
        sgdt    [r1 + 8]
        ld      r1, [RO + 8]
        call    mix
        ld      r1, [RO + 12]
        call    mix
        mov     r0, cr0
        or      r0, 0x10000
        mov     cr0, r0
        mov     r1, RO + 0x20
        sidt    [r1]                      ; #PF (W, present), generic resumes
after4: call    mixlog
        ld      r1, [RO + 0x20]
        call    mix
        ; a store to the same page that was written without WP a moment ago
        mov     r0, after5
        st      [resume], r0
        mov     r0, 0x77
        st      [RO + 0x40], r0
after5: call    mixlog
        ld      r1, [RO + 0x40]
        call    mix

        ; 3. a user-mode fault whose frame is pushed onto a read-only kernel stack, WP off
        mov     r0, cr0
        and     r0, ~0x10000
        mov     cr0, r0
        mov     r0, RO + 0x800
        wrmsr   0, r0
        mov     r0, after7
        st      [resume], r0
        mov     r0, user_fault
        push    USTACK
        push    0
        push    3
        push    r0
        iret
after7: mov     sp, KSTACK
        mov     r0, KSTACK
        wrmsr   0, r0
        call    mixlog
        ld      r1, [RO + 0x800 - 4]
        call    mix
        ld      r1, [RO + 0x800 - 20]
        call    mix

        ; 5. paging off from code at a page mapped elsewhere: the next fetch is physical
        mov     r0, off_code_end - off_code
        mov     r2, 0
copy:   ld      r1, [r2 + off_code]
        st      [r2 + 0x3e0000], r1
        add     r2, 4
        cmp     r2, r0
        jb      copy
        mov     r0, 0x3e0007             ; linear 0x3d0000 -> frame 0x3e0000
        st      [PT + (0x3d0000 >> 10)], r0
        mov     r1, 0
        call    0x3d0000                 ; turns paging off: continues at physical 0x3d0008+
        call    mix
        mov     r1, cr0
        call    mix

        mov     r1, r6
        call    show
        ; 4. an interrupt frame straddling an absent page: sp just above it
        mov     sp, 0x3f0008
        mov     r0, 0
        st      [PT + (0x3ef000 >> 10)], r0
        invlpg  [r0 + 0x3ef000]
        int     3                         ; pushes 0x3f0004, 0x3f0000, then 0x3effffc: #PF, #DF and a triple fault: the end

        mov     r0, r6
        and     r0, 0x7f
        out     EXIT, r0

mix:    mul     r6, 31
        add     r6, r1
        ret
mixlog: ld      r1, [lastv]
        call    mix
        ld      r1, [laste]
        call    mix
        ld      r1, [lastc]
        call    mix
        ret

        .include "lib/show.s"

generic: ld     r0, [sp]
        st      [lastv], r0
        ld      r0, [sp + 4]
        st      [laste], r0
        mov     r0, cr2
        st      [lastc], r0
        mov     sp, KSTACK
        ld      r0, [resume]
        jmp     r0
bp2:    mov     r0, 0xb2
        st      [lastv], r0
        mov     sp, KSTACK
        ld      r0, [resume]
        jmp     r0
df:     ld      r0, [dfs]
        add     r0, 1
        st      [dfs], r0
        mov     r0, 0xdf
        st      [lastv], r0
        mov     r0, KSTACK
        wrmsr   0, r0
        mov     sp, KSTACK
        ld      r0, [resume]
        jmp     r0

user_bp: int    3
user_fault: hlt

; off_code: copied to frame 0x3e0000, run at linear 0x3d0000; after paging goes off the
; fetch comes from physical 0x3d0008, where a different copy waits (below)
off_code:
        mov     r0, 0x1
        mov     cr0, r0
        mov     r1, 0xbad
        ret
off_code_end:

lastv:  .word   0
laste:  .word   0
lastc:  .word   0
dfs:    .word   0
resume: .word   0
idtr:   .word   256*8 - 1, IDTV

        .org    0x3d0008
        mov     r1, 0x600d
        ret

