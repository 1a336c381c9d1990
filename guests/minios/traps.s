; Interrupt descriptor table and exception handlers.

; idt_set: r0 = vector, r1 = handler, r2 = flags (present | DPL << 1)
idt_set:
        shl     r0, 3
        add     r0, idt
        st      [r0], r1
        st      [r0+4], r2
        ret

idt_init:
        push    r4
        mov     r4, 0
idt_faults:
        mov     r0, r4
        mov     r1, fault_stubs
        mov     r2, r4
        shl     r2, 4                   ; each stub is two instructions
        add     r1, r2
        mov     r2, 1
        call    idt_set
        add     r4, 1
        cmp     r4, 32
        jb      idt_faults
        mov     r0, VEC_PF
        mov     r1, page_fault
        mov     r2, 1
        call    idt_set
        mov     r0, VEC_TIMER
        mov     r1, timer_irq
        mov     r2, 1
        call    idt_set
        mov     r0, VEC_SYSCALL
        mov     r1, syscall_entry
        mov     r2, 1 | (3 << 1)        ; user mode may raise it
        call    idt_set
        mov     r0, idt_desc
        PLAT_LOAD_IDT r0
        pop     r4
        ret

; One stub per vector: record the vector, then the common path.
fault_stubs:
        .macro STUB n
        mov     r0, \n
        jmp     fault
        .endm
        STUB 0
        STUB 1
        STUB 2
        STUB 3
        STUB 4
        STUB 5
        STUB 6
        STUB 7
        STUB 8
        STUB 9
        STUB 10
        STUB 11
        STUB 12
        STUB 13
        STUB 14
        STUB 15
        STUB 16
        STUB 17
        STUB 18
        STUB 19
        STUB 20
        STUB 21
        STUB 22
        STUB 23
        STUB 24
        STUB 25
        STUB 26
        STUB 27
        STUB 28
        STUB 29
        STUB 30
        STUB 31

; fault: r0 = vector. A fault in a task kills the task; a fault in the kernel stops the machine.
fault:  push    r0
        mov     r1, msg_fault
        call    kputs
        pop     r1
        push    r1
        call    kputdec
        mov     r1, msg_at
        call    kputs
        pop     r0
        mov     r1, sp
        cmp     r0, 8                   ; vectors with an error code: skip it to find the pc
        jz      fault_code
        cmp     r0, 13
        jz      fault_code
        cmp     r0, 14
        jz      fault_code
        jmp     fault_frame
fault_code:
        add     r1, 4
fault_frame:
        ld      r5, [r1+4]              ; the CPL the fault came from
        ld      r1, [r1]
        call    kputhex
        mov     r1, msg_nl
        call    kputs
        cmp     r5, 3
        jnz     panic
        mov     r1, 0xdead
        jmp     task_exit

panic:  mov     r1, msg_panic
        call    kputs
        mov     r0, 1
        PLAT_EXIT r0

; page_fault: demand-zero in a task's region, else a fault
page_fault:
        push    r0
        push    r1
        push    r2
        push    r3
        PLAT_READ_CR2 r1
        cmp     r1, USER_BASE
        jb      page_fault_bad
        cmp     r1, USER_TOP
        jae     page_fault_bad
        ld      r0, [sp+16]             ; the error code: P set means a protection fault
        and     r0, 1
        jnz     page_fault_bad
        call    demand_zero
        pop     r3
        pop     r2
        pop     r1
        pop     r0
        add     sp, 4                   ; the error code
        PLAT_IRET
page_fault_bad:
        pop     r3
        pop     r2
        pop     r1
        pop     r0
        mov     r0, 14
        jmp     fault
