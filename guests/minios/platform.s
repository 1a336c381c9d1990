; The platform layer (as Linux's pv_ops): every operation that a hypervisor may need to
; see goes through one of these macros, so one kernel source builds three ways:
;   native          privileged instructions and port I/O, for bare metal and the VMMs;
;   -D PVDRIVERS=1  the same kernel with the paravirtual block driver (a guest addition):
;                   disk requests go through a ring shared with the VMM (minios/blkfront.s);
;   -D PV=1         fully paravirtualized: hypercalls (vmcall, number in r0, arguments in
;                   r1-r4, result in r0) instead of privileged instructions, the interrupt
;                   flag a plain store to the shared info page, page tables changed by
;                   validated mmu_update (docs/paravirt.md).
; As Linux's patch sites, each operation is a site of one size in every build: natively
; the instruction and nops. The timer counts guest instructions, so equal sites give the
; three builds the same timer interrupts at the same points of the kernel's work and the
; same transcript.

        .equ    HYPERVISOR_set_trap_table, 0
        .equ    HYPERVISOR_mmu_update, 1
        .equ    HYPERVISOR_mmuext_op, 2
        .equ    HYPERVISOR_update_va_mapping, 3
        .equ    HYPERVISOR_stack_switch, 4
        .equ    HYPERVISOR_set_timer_op, 5
        .equ    HYPERVISOR_sched_op, 6
        .equ    HYPERVISOR_event_channel_op, 7
        .equ    HYPERVISOR_console_io, 8
        .equ    HYPERVISOR_iret, 9
        .equ    HYPERVISOR_shared_info, 10
        .equ    MMUEXT_NEW_BASEPTR, 0
        .equ    MMUEXT_INVLPG, 1
        .equ    SCHEDOP_shutdown, 2
        .equ    EVTCHNOP_bind_virq, 0
        .equ    EVTCHNOP_send, 1
        .equ    EVTCHNOP_unmask, 2
        .equ    VIRQ_TIMER, 0
        .equ    SI_UPCALL_MASK, 0
        .equ    SI_CR2, 12
        .equ    BLOCK_PORT, 31

        .ifdef PV
        .guest  paravirt, 1
        .endif
        .ifdef PVDRIVERS
        .guest  pvdrivers, 1
        .endif

        .macro PLAT_NOPS2
        nop
        nop
        .endm

; PLAT_BOOT: a paravirtualized kernel gives the hypervisor its shared info page (the block
; ring is the page after it). Runs before the timer.
        .macro PLAT_BOOT
        .ifdef PV
        mov     r1, shared_info
        mov     r0, HYPERVISOR_shared_info
        vmcall
        .endif
        .ifdef PVDRIVERS
        mov     r1, shared_info
        mov     r0, HYPERVISOR_shared_info
        vmcall
        .endif
        .endm

; local_irq_save / local_irq_restore: the interrupt flag travels through a register (not r0)
        .macro PLAT_IRQ_SAVE reg
        .ifdef PV
        push    r0
        mov     r0, 1
        ld      \reg, [shared_info + SI_UPCALL_MASK]
        st      [shared_info + SI_UPCALL_MASK], r0
        pop     r0
        .else
        pushf
        pop     \reg
        cli
        PLAT_NOPS2
        .endif
        .endm

        .macro PLAT_IRQ_RESTORE reg
        .ifdef PV
        st      [shared_info + SI_UPCALL_MASK], \reg
        nop
        .else
        push    \reg
        popf
        .endif
        .endm

; The page-table base (clobbers r0)
        .macro PLAT_LOAD_CR3 reg
        .ifdef PV
        push    r1
        push    r2
        mov     r2, \reg
        mov     r1, MMUEXT_NEW_BASEPTR
        mov     r0, HYPERVISOR_mmuext_op
        vmcall
        pop     r2
        pop     r1
        .else
        PLAT_NOPS2
        PLAT_NOPS2
        PLAT_NOPS2
        nop
        mov     cr3, \reg
        .endif
        .endm

        .macro PLAT_ENABLE_PAGING reg
        .ifdef PV
        PLAT_NOPS2                      ; the first new base turned paging on
        .else
        mov     \reg, 0x80000001
        mov     cr0, \reg
        .endif
        .endm

; invlpg (clobbers r0)
        .macro PLAT_INVLPG reg
        .ifdef PV
        push    r1
        push    r2
        mov     r2, \reg
        mov     r1, MMUEXT_INVLPG
        mov     r0, HYPERVISOR_mmuext_op
        vmcall
        pop     r2
        pop     r1
        .else
        PLAT_NOPS2
        PLAT_NOPS2
        PLAT_NOPS2
        nop
        invlpg  [\reg]
        .endif
        .endm

; A PTE write, ptr and value in registers (clobbers r0): a validated mmu_update of one entry
        .macro PLAT_SET_PTE ptr, val
        .ifdef PV
        st      [mmu_request], \ptr
        st      [mmu_request + 4], \val
        push    r1
        push    r2
        mov     r1, mmu_request
        mov     r2, 1
        mov     r0, HYPERVISOR_mmu_update
        vmcall
        pop     r2
        pop     r1
        .else
        st      [\ptr], \val
        PLAT_NOPS2
        PLAT_NOPS2
        PLAT_NOPS2
        PLAT_NOPS2
        nop
        .endif
        .endm

; The faulting address of a page fault
        .macro PLAT_READ_CR2 reg
        .ifdef PV
        ld      \reg, [shared_info + SI_CR2]
        .else
        mov     \reg, cr2
        .endif
        .endm

; Return from an interrupt frame
        .macro PLAT_IRET
        .ifdef PV
        push    r0
        mov     r0, HYPERVISOR_iret
        vmcall
        .else
        PLAT_NOPS2
        iret
        .endif
        .endm

; The trap table: r = address of an IDT descriptor; VEC_SYSCALL is the fast system-call vector
        .macro PLAT_LOAD_IDT reg
        .ifdef PV
        mov     r1, \reg
        mov     r2, VEC_SYSCALL
        mov     r0, HYPERVISOR_set_trap_table
        vmcall
        .else
        lidt    [\reg]
        .endif
        .endm

        .macro PLAT_SET_KERNEL_STACK reg
        .ifdef PV
        mov     r1, \reg
        mov     r0, HYPERVISOR_stack_switch
        vmcall
        .else
        wrmsr   0, \reg
        .endif
        .endm

; Only the timer interrupts (clobbers r0-r2)
        .macro PLAT_UNMASK_TIMER
        .ifdef PV
        mov     r1, EVTCHNOP_bind_virq
        mov     r2, VIRQ_TIMER
        mov     r0, HYPERVISOR_event_channel_op
        vmcall
        .else
        mov     r0, 0xfffe
        out     PIC_MASK, r0
        .endif
        .endm

; End of the timer interrupt (clobbers r0-r2)
        .macro PLAT_EOI
        .ifdef PV
        mov     r1, EVTCHNOP_unmask
        mov     r2, VIRQ_TIMER
        mov     r0, HYPERVISOR_event_channel_op
        vmcall
        .else
        PLAT_NOPS2
        mov     r0, 0x20
        out     PIC_CMD, r0
        .endif
        .endm

; The timer's period (clobbers r0, r1)
        .macro PLAT_SET_TIMER reg
        .ifdef PV
        mov     r1, \reg
        mov     r0, HYPERVISOR_set_timer_op
        vmcall
        .else
        PLAT_NOPS2
        out     TIMER, \reg
        .endif
        .endm

; One character on the console (keeps every register)
        .macro PLAT_PUTC reg
        .ifdef PV
        push    r1
        push    r0
        mov     r1, \reg
        mov     r0, HYPERVISOR_console_io
        vmcall
        pop     r0
        pop     r1
        .else
        PLAT_NOPS2
        PLAT_NOPS2
        PLAT_NOPS2
        out     CONSOLE, \reg
        .endif
        .endm

; Port I/O, for the emulated disk of the unmodified builds
        .macro PLAT_OUT port, reg
        out     \port, \reg
        .endm

        .macro PLAT_IN reg, port
        in      \reg, \port
        .endm

        .macro PLAT_EXIT reg
        .ifdef PV
        mov     r2, \reg
        mov     r1, SCHEDOP_shutdown
        mov     r0, HYPERVISOR_sched_op
        vmcall
        .else
        PLAT_NOPS2
        nop
        out     0xf4, \reg
        .endif
        .endm
